package com.example.search;

@Repository
public class SearchRepository {
  @PersistenceContext
  private EntityManager em;

  @GetMapping("/search")
  public List<?> search(@RequestParam("q") String q) {
    return em.createQuery("FROM Article a WHERE a.title LIKE '%" + q + "%'").getResultList(); // want: sql-injection
  }
}
