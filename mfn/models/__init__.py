"""Models of the workbench, one package each; importing this package registers the built-in ones."""
