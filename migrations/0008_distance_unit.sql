-- The unit each person reads distances in: miles unless they choose km.
ALTER TABLE users ADD COLUMN distance_unit TEXT NOT NULL DEFAULT 'mi'
    CHECK (distance_unit IN ('mi', 'km'));
