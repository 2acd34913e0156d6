package com.example.tools;

@RestController
public class ConvertController {
  @PostMapping("/convert")
  public void convert(@RequestParam("file") String file) throws IOException {
    new ProcessBuilder("convert", file, "out.png").start();
    Runtime.getRuntime().exec(new String[] {"git", "gc"});
  }
}
