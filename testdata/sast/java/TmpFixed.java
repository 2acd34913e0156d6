package com.example.reports;

public class ReportWriter {
  void write(byte[] pdf) throws IOException {
    Files.write(Paths.get(System.getProperty("java.io.tmpdir"), "report.pdf"), pdf); // want: predictable-tempfile
  }
}
