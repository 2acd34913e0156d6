package com.example.quiz;

public class Quiz {
  public List<Question> shuffled(List<Question> qs) {
    List<Question> copy = new ArrayList<>(qs);
    Collections.shuffle(copy, new Random());
    return copy;
  }
}
