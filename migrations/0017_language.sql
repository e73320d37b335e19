-- The language a person chose to read Trip Planner (and its emails) in.
-- NULL until they choose: pages then follow the browser's Accept-Language,
-- and emails go out in English.
ALTER TABLE users ADD COLUMN language TEXT
    CHECK (language IS NULL OR language IN ('en', 'es'));
