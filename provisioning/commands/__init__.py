"""One module per `kiosk-provision` command; provisioning.cli.COMMANDS lists them."""
