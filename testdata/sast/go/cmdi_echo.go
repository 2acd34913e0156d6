package ops

import (
	"net/http"
	"os/exec"

	"github.com/labstack/echo/v4"
)

func Restart(c echo.Context) error {
	svc := c.QueryParam("service")
	return exec.Command("/bin/sh", "-c", "systemctl restart "+svc).Run() // want: command-injection
}

var _ = http.StatusOK
