package com.example.web;

@Controller
public class ProfileController {
  @GetMapping("/profile")
  public String profile(@RequestParam String name, Model model) {
    model.addAttribute("name", name);
    return "profile";
  }
}
