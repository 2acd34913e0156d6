package com.example.preview;

@RestController
public class PreviewController {
  @GetMapping("/preview")
  public String preview(@RequestParam String url) throws IOException {
    try (InputStream in = new URL(url).openStream()) { // want: ssrf
      return new String(in.readAllBytes());
    }
  }
}
