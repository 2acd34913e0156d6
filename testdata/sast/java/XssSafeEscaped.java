package com.example.web;

public class SearchServlet extends HttpServlet {
  protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
    String q = HtmlUtils.htmlEscape(req.getParameter("q"));
    resp.getWriter().println("<p>No results for " + q + "</p>");
    System.out.println("<debug> query " + req.getParameter("q"));
  }
}
