package com.example.web;

public class LogoutServlet extends HttpServlet {
  protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
    req.getSession().invalidate();
    String target = req.getParameter("returnUrl");
    resp.sendRedirect(target); // want: open-redirect
  }
}
