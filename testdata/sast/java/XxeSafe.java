package com.example.imports;

public class FeedParser {
  public void parse(InputStream in, DefaultHandler h) throws Exception {
    SAXParserFactory f = SAXParserFactory.newInstance();
    f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
    f.setFeature("http://xml.org/sax/features/external-general-entities", false);
    f.newSAXParser().parse(in, h);
  }
}
