package com.example.proxy;

@RestController
public class ImageProxy {
  private final WebClient web;

  @GetMapping("/img")
  public Mono<byte[]> img(@RequestParam String src) {
    return web.get().uri(src).retrieve().bodyToMono(byte[].class); // want: ssrf
  }
}
