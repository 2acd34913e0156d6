package com.example.ops;

public class Backup {
  public static void main(String[] args) throws IOException {
    Runtime.getRuntime().exec("pg_dump " + args[0]); // want: command-injection
  }
}
