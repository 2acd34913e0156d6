package com.example.audit;

public class AuditFilter extends HttpFilter {
  protected void doFilter(HttpServletRequest req, HttpServletResponse res, FilterChain chain) throws IOException, ServletException {
    log.info("request " + req.getRequestURI() + " from " + req.getHeader("User-Agent"));
    chain.doFilter(req, res);
  }
}
