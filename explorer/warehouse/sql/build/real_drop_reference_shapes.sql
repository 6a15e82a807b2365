-- Reference shapes that a loaded shape replaces (same level and code) are removed first.
delete from stg_territory_shape
where (level, code) in (select level, code from store.stg_territory_shape)
