package com.example.rpc;

public class RpcServlet extends HttpServlet {
  protected void doPost(HttpServletRequest req, HttpServletResponse resp) throws IOException, ClassNotFoundException {
    try (ObjectInputStream ois = new ObjectInputStream(req.getInputStream())) { // want: unsafe-deserialization
      Command cmd = (Command) ois.readObject();
      cmd.run();
    }
  }
}
