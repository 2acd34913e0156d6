package com.example.files;

@RestController
public class DownloadController {
  private static final Path ROOT = Paths.get("/srv/exports").toAbsolutePath().normalize();

  @GetMapping("/download")
  public byte[] download(@RequestParam String file) throws IOException {
    Path p = ROOT.resolve(file).normalize();
    if (!p.startsWith(ROOT)) {
      throw new ResponseStatusException(HttpStatus.BAD_REQUEST);
    }
    return Files.readAllBytes(p);
  }
}
