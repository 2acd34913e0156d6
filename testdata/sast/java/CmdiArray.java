package com.example.ops;

@RestController
public class OpsController {
  @PostMapping("/ops/run")
  public void run(@RequestParam String task) throws IOException {
    Runtime.getRuntime().exec(new String[] {"/bin/sh", "-c", "make " + task}); // want: command-injection
  }
}
