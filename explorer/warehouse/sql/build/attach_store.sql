-- Attach the staging store (? = its path) read-only as catalog "store", for build --source real.
attach ? as store (read_only)
