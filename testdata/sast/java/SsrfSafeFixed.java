package com.example.preview;

@RestController
public class RepoController {
  private final RestTemplate rest;

  @GetMapping("/repo")
  public String repo(@RequestParam String name) {
    return rest.getForObject("https://api.github.com/repos/example/" + name, String.class);
  }
}
