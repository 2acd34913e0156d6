package com.example.web;

public class LogoutServlet extends HttpServlet {
  protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
    req.getSession().invalidate();
    resp.sendRedirect(req.getContextPath() + "/login?bye=1");
  }
}
