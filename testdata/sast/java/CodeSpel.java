package com.example.rules;

@RestController
public class RuleController {
  private final ExpressionParser parser = new SpelExpressionParser();

  @PostMapping("/rules/eval")
  public Object eval(@RequestBody String expression) {
    return parser.parseExpression(expression).getValue(); // want: code-injection
  }
}
