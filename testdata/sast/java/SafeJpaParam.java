package com.example.users;

public class UserRepo {
  @PersistenceContext EntityManager em;

  public List<User> byName(@RequestParam String name) {
    return em.createQuery("SELECT u FROM User u WHERE u.name = :name", User.class)
        .setParameter("name", name)
        .getResultList();
  }
}
