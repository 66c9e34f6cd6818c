-- One wrk script for every Steadfast workload; bench/run picks it with environment variables:
--   SF_WORKLOAD  health | create | reply | get | list | search | mixed | ingest
--   SF_TOKEN     API token (Bearer)
--   SF_IDS       file with one ticket id per line (tickets that accept replies), for reply/mixed
--   SF_MAX_ID    highest ticket id, for get/mixed
--   SF_PATHS     file with one request path per line, for list/search (cycled through)
-- At the end each thread's results are merged by wrk; done() prints one JSON line that
-- bench/run reads.

local workload = os.getenv("SF_WORKLOAD") or "health"
local token = os.getenv("SF_TOKEN") or ""
local max_id = tonumber(os.getenv("SF_MAX_ID") or "1")

local function read_lines(name)
  local out = {}
  if name == nil or name == "" then return out end
  local f = io.open(name, "r")
  if f == nil then return out end
  for line in f:lines() do
    if line ~= "" then out[#out + 1] = line end
  end
  f:close()
  return out
end

local ids = read_lines(os.getenv("SF_IDS"))
local paths = read_lines(os.getenv("SF_PATHS"))

local threads = {}
local counter = 0
local thread_id = 0

function setup(thread)
  thread_id = thread_id + 1
  thread:set("tid", thread_id)
  table.insert(threads, thread)
end

local words = {"invoice", "export", "refund", "login", "dashboard", "shipment", "label",
               "timeout", "crash", "scanner", "webhook", "receipt", "coupon", "route"}

local function word()
  return words[math.random(#words)]
end

function init(args)
  math.randomseed(os.time() + (tid or 0) * 7919)
  wrk.headers["Authorization"] = "Bearer " .. token
  wrk.headers["Content-Type"] = "application/json"
end

local function create()
  counter = counter + 1
  local n = tostring(tid) .. "-" .. tostring(counter) .. "-" .. tostring(math.random(1e9))
  local body = '{"subject":"Bench ' .. word() .. ' ' .. n .. ' does not work",' ..
      '"body":"Hello, the ' .. word() .. ' fails since this morning with ' .. word() ..
      ' errors. Reference ' .. n .. '. Thanks.",' ..
      '"customer":{"email":"bench-' .. n .. '@load.example","name":"Load ' .. n .. '"}}'
  return wrk.format("POST", "/api/v1/tickets", nil, body)
end

-- A customer's email, as an MTA would hand it to `steadfast mailgate`: each with its own
-- Message-ID; one in five is a reply to a ticket by its subject tag (from a new sender, so it
-- opens a ticket of its own after the threading check).
local function ingest()
  counter = counter + 1
  local n = tostring(tid) .. "-" .. tostring(counter) .. "-" .. tostring(math.random(1e9))
  local subject = "Bench mail " .. word() .. " " .. n
  if math.random(5) == 1 and #ids > 0 then
    subject = "Re: [#" .. ids[math.random(#ids)] .. "] " .. subject
  end
  local body = "From: Mail Sender <mail-" .. n .. "@load.example>\r\n" ..
      "To: support@help.example\r\n" ..
      "Subject: " .. subject .. "\r\n" ..
      "Message-ID: <" .. n .. "@load.example>\r\n" ..
      "Date: Mon, 23 Nov 2026 10:00:00 +0000\r\n" ..
      "MIME-Version: 1.0\r\n" ..
      "Content-Type: text/plain; charset=utf-8\r\n\r\n" ..
      "Hello, the " .. word() .. " fails since this morning with " .. word() .. " errors.\r\n" ..
      "Reference " .. n .. ".\r\n\r\nOn Sun, Support wrote:\r\n> Thanks for writing.\r\n"
  local headers = {}
  for name, value in pairs(wrk.headers) do headers[name] = value end
  headers["Content-Type"] = "message/rfc822"
  return wrk.format("POST", "/api/v1/mail/inbound", headers, body)
end

local function reply()
  local id = ids[math.random(#ids)]
  local kind = "reply"
  if math.random(4) == 1 then kind = "note" end
  local body = '{"kind":"' .. kind .. '","body":"Checked the ' .. word() ..
      ' again; the fix is deployed. ' .. tostring(math.random(1e9)) .. '"}'
  return wrk.format("POST", "/api/v1/tickets/" .. id .. "/messages", nil, body)
end

local function get()
  return wrk.format("GET", "/api/v1/tickets/" .. tostring(math.random(max_id)))
end

local function cycled()
  counter = counter + 1
  return wrk.format("GET", paths[(counter % #paths) + 1])
end

function request()
  if workload == "create" then return create() end
  if workload == "reply" then return reply() end
  if workload == "ingest" then return ingest() end
  if workload == "get" then return get() end
  if workload == "list" or workload == "search" then return cycled() end
  if workload == "mixed" then
    -- The shape of a working day: 70% reads, 30% writes.
    local r = math.random(100)
    if r <= 35 then return get() end
    if r <= 55 then return cycled() end
    if r <= 70 then
      return wrk.format("GET", "/api/v1/tickets/" .. ids[math.random(#ids)] .. "/messages")
    end
    if r <= 85 then return reply() end
    return create()
  end
  return wrk.format("GET", "/api/v1/health")
end

local non2xx = 0
function response(status, headers, body)
  if status < 200 or status >= 300 then
    non2xx = non2xx + 1
    if non2xx <= 3 then io.stderr:write("non-2xx " .. status .. ": " .. body:sub(1, 200) .. "\n") end
  end
end

function done(summary, latency, requests)
  local errors = summary.errors.connect + summary.errors.read + summary.errors.write +
      summary.errors.timeout + summary.errors.status
  io.write(string.format(
      '{"requests":%d,"duration_us":%d,"errors":%d,"non2xx":%d,' ..
      '"p50_us":%d,"p95_us":%d,"p99_us":%d,"max_us":%d}\n',
      summary.requests, summary.duration, errors, summary.errors.status,
      latency:percentile(50), latency:percentile(95), latency:percentile(99), latency.max))
end
