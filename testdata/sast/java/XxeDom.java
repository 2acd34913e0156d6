package com.example.imports;

@RestController
public class ImportController {
  @PostMapping("/import")
  public String importXml(@RequestBody String xml) throws Exception {
    DocumentBuilder db = DocumentBuilderFactory.newInstance().newDocumentBuilder(); // want: xxe
    Document doc = db.parse(new InputSource(new StringReader(xml)));
    return doc.getDocumentElement().getNodeName();
  }
}
