package com.example.web;

public class SearchServlet extends HttpServlet {
  protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
    String q = req.getParameter("q");
    PrintWriter out = resp.getWriter();
    out.println("<p>No results for " + q + "</p>"); // want: xss
  }
}
