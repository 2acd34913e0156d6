package com.example.imports;

public class StaxReader {
  public XMLStreamReader open(InputStream in) throws Exception {
    XMLInputFactory f = XMLInputFactory.newInstance(); // want: xxe
    return f.createXMLStreamReader(in);
  }
}
