export interface Page<T> {
  items: T[];
  nextPageToken: string;
}
const next_token = "eyJvZmZzZXQiOjEwMH0";
const cursorToken = "l8xCKDgTZDT5xeRAV2ykkZigPGpFwPXW";
