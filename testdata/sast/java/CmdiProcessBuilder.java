package com.example.tools;

@RestController
public class ConvertController {
  @PostMapping("/convert")
  public void convert(@RequestParam("file") String file) throws IOException {
    new ProcessBuilder("bash", "-c", "convert " + file + " out.png").start(); // want: command-injection
  }
}
