import { createClient } from "@supabase/supabase-js";

export const supabase = createClient(
  "https://abcdefghijklmnop.supabase.co",
  "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJpc3MiOiJzdXBhYmFzZSIsInJlZiI6ImFiY2RlZmdoaWprbG1ub3AiLCJyb2xlIjoiYW5vbiIsImlhdCI6MTcwMDAwMDAwMCwiZXhwIjoyMDE1MDAwMDAwfQ.ahjFG1HS6QdjhqIZkZWZjOKoDzfRWnOQoK7-8_BOHYA",
);
