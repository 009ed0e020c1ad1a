// Temporary: keeps the package building until this module's first file lands. Delete me.
