package com.example.tools;

@RestController
public class DnsController {
  @GetMapping("/dig")
  public String dig(@RequestParam String domain) throws IOException {
    Process p = Runtime.getRuntime().exec("dig +short " + domain); // want: command-injection
    return new String(p.getInputStream().readAllBytes());
  }
}
