package com.example.imports;

public class FeedParser {
  public void parse(InputStream in, DefaultHandler h) throws Exception {
    SAXParserFactory f = SAXParserFactory.newInstance(); // want: xxe
    f.newSAXParser().parse(in, h);
  }
}
