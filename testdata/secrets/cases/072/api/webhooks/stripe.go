package webhooks

var endpointSecret = "whsec_srbWnijGGy0nxsV3sHjrlUQA7lunJdt6"
