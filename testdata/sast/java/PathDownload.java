package com.example.files;

@RestController
public class DownloadController {
  @GetMapping("/download")
  public byte[] download(@RequestParam String file) throws IOException {
    return Files.readAllBytes(Paths.get("/srv/exports", file)); // want: path-traversal
  }
}
