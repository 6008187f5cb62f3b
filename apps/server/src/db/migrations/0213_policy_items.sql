-- Which services a policy pays for (适用服务, issue 12): catalogue categories and single catalogue
-- items, as {"categories": [...], "itemIds": [...]}; an item is covered when its category or the
-- item itself is listed. Both empty: the whole catalogue, which is what every policy paid for
-- before this column existed. The elder's booking page offers what the elder's policies cover.
ALTER TABLE policies ADD COLUMN covers jsonb NOT NULL DEFAULT '{"categories": [], "itemIds": []}'::jsonb;
ALTER TABLE policies ADD CONSTRAINT policies_covers_shape CHECK (
  jsonb_typeof(covers -> 'categories') = 'array' AND jsonb_typeof(covers -> 'itemIds') = 'array'
);
