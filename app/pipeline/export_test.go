package pipeline

// ListFiles is listFiles, for the external tests.
var ListFiles = listFiles
