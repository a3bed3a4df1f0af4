from hub.cli import app

app()
