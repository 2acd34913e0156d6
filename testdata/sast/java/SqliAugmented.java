package com.example.reports;

@RestController
public class ReportController {
  private final DataSource ds;

  @GetMapping("/reports")
  public List<String> reports(@RequestParam String region) throws SQLException {
    String sql = "SELECT name FROM reports WHERE 1=1";
    sql += " AND region = '" + region + "'";
    try (Connection c = ds.getConnection(); Statement st = c.createStatement()) {
      st.execute(sql); // want: sql-injection
      return List.of();
    }
  }
}
