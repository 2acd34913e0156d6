package com.example.files;

@RestController
public class UploadController {
  @PostMapping("/upload")
  public void upload(@RequestParam("file") MultipartFile file, @RequestParam("dir") String dir) throws IOException {
    File target = new File("/srv/uploads/" + dir, file.getOriginalFilename());
    file.transferTo(target); // want: path-traversal
  }
}
