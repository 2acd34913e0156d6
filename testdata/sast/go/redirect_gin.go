package auth

import "github.com/gin-gonic/gin"

func Callback(c *gin.Context) {
	c.Redirect(302, c.Query("return_to")) // want: open-redirect
}
