package com.example.reports;

public class ReportWriter {
  void write(byte[] pdf) throws IOException {
    Path tmp = Files.createTempFile("report", ".pdf");
    Files.write(tmp, pdf);
  }
}
