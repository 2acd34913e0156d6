package com.example.unzip;

public class Unzipper {
  @PostMapping("/unzip")
  public void unzip(@RequestParam("file") MultipartFile file) throws IOException {
    try (ZipInputStream zis = new ZipInputStream(file.getInputStream())) {
      ZipEntry e;
      while ((e = zis.getNextEntry()) != null) {
        Files.copy(zis, Paths.get("/srv/unzipped", e.getName())); // want: path-traversal
      }
    }
  }
}
