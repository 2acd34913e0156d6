package com.example.orders;

import java.sql.*;
import javax.servlet.http.*;

public class OrderServlet extends HttpServlet {
  private Connection conn;

  @Override
  protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws java.io.IOException {
    String status = req.getParameter("status");
    try (Statement st = conn.createStatement()) {
      ResultSet rs = st.executeQuery("SELECT * FROM orders WHERE status = '" + status + "'"); // want: sql-injection
      while (rs.next()) {
        resp.getWriter().println(rs.getString("id"));
      }
    } catch (SQLException e) {
      throw new RuntimeException(e);
    }
  }
}
