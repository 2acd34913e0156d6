package com.example.maint;

public class Cleanup {
  private static final String TABLE = "sessions";

  void run(Statement st) throws SQLException {
    st.executeUpdate("DELETE FROM " + TABLE + " WHERE expires_at < now()");
  }
}
