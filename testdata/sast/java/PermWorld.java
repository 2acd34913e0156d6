package com.example.deploy;

public class Installer {
  void install(Path dir) throws IOException {
    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxrwxrwx")); // want: world-writable
    dir.toFile().setWritable(true, false); // want: world-writable
  }
}
