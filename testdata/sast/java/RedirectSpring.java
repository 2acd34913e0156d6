package com.example.web;

@Controller
public class SsoController {
  @GetMapping("/sso/done")
  public String done(@RequestParam("continue") String next) {
    return "redirect:" + next; // want: open-redirect
  }

  @GetMapping("/sso/home")
  public String home(@RequestParam("tab") String tab) {
    return "redirect:/home?tab=" + tab;
  }
}
