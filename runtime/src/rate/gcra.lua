-- One decision of the generic cell rate algorithm (GCRA, as redis-cell implements it) for
-- the budget at KEYS[1], which holds its theoretical arrival time (TAT) in microseconds.
--
-- ARGV[1]: the emission interval (1 / rate) in microseconds
-- ARGV[2]: the burst: how many calls may go at once after a quiet spell (at least 1)
-- ARGV[3]: the longest the caller can wait for its slot, in microseconds
-- ARGV[4]: the time in microseconds since the Unix epoch; empty for the server's TIME
--
-- A call's slot is due when the TAT it leaves behind (the later of the stored TAT and now,
-- plus one interval) is at most burst * interval ahead of now; until then it waits. When the
-- wait fits in ARGV[3], the slot is taken (the TAT stored) and the call waits that long;
-- otherwise nothing is stored. Returns {taken (1 or 0), wait in microseconds}.
local interval = tonumber(ARGV[1])
local burst = tonumber(ARGV[2])
local max_wait = tonumber(ARGV[3])
local now = tonumber(ARGV[4])
if not now then
  local time = redis.call('TIME')
  now = tonumber(time[1]) * 1000000 + tonumber(time[2])
end
local tat = tonumber(redis.call('GET', KEYS[1]))
if not tat or tat < now then
  tat = now
end
local new_tat = tat + interval
local wait = new_tat - now - burst * interval
if wait < 0 then
  wait = 0
end
if wait > max_wait then
  return {0, math.floor(wait)}
end
-- The key goes once its TAT has passed: an absent key is a quiet budget.
redis.call('SET', KEYS[1], string.format('%d', new_tat), 'PX', math.ceil((new_tat - now) / 1000) + 1)
return {1, math.floor(wait)}
