-- Driven by tests/editor_neovim/main.rs: starts wikistamp through the shipped Neovim config
-- (editors/neovim/wikistamp-legacy.lua, the one that works on Debian's Neovim 0.7), opens a note
-- of a copied fixture vault and writes what the real client received to a JSON file.
-- Environment: WIKISTAMP_BIN, WIKISTAMP_CONFIG (the legacy config), WIKISTAMP_NOTE, WIKISTAMP_OUT.
local bin = os.getenv('WIKISTAMP_BIN')
local out_path = os.getenv('WIKISTAMP_OUT')
local result = { errors = {} }

local function finish()
  local f = assert(io.open(out_path, 'w'))
  f:write(vim.fn.json_encode(result))
  f:close()
  vim.cmd('qall!')
end

local ok, err = pcall(function()
  vim.cmd('filetype on')
  local wikistamp = dofile(os.getenv('WIKISTAMP_CONFIG'))
  wikistamp.setup({ cmd = { bin, 'lsp' } })
  vim.cmd('edit ' .. vim.fn.fnameescape(os.getenv('WIKISTAMP_NOTE')))
  local buf = vim.api.nvim_get_current_buf()
  result.filetype = vim.bo[buf].filetype

  -- Diagnostics arrive once the server has indexed the vault; wait for the link findings.
  local function codes()
    local seen = {}
    for _, d in ipairs(vim.diagnostic.get(buf)) do
      table.insert(seen, { code = d.code, line = d.lnum + 1, source = d.source, message = d.message })
    end
    return seen
  end
  vim.wait(15000, function()
    for _, d in ipairs(codes()) do
      if d.code == 'link-heading-missing' then
        return true
      end
    end
    return false
  end, 50)
  result.diagnostics = codes()
  result.clients = #vim.lsp.buf_get_clients(buf)

  -- Go to definition on `[[scaling_laws]]` (line 7, inside the target).
  local uri = vim.uri_from_bufnr(buf)
  local def = vim.lsp.buf_request_sync(buf, 'textDocument/definition', {
    textDocument = { uri = uri },
    position = { line = 6, character = 6 },
  }, 10000)
  result.definition = {}
  for _, r in pairs(def or {}) do
    local res = r.result
    if res and res.uri then
      res = { res }
    end
    for _, loc in ipairs(res or {}) do
      table.insert(result.definition, loc.uri or loc.targetUri)
    end
  end

  -- Type a new link opener at the end of the buffer and ask for completion after `[[`.
  local last = vim.api.nvim_buf_line_count(buf)
  vim.api.nvim_buf_set_lines(buf, last, last, false, { 'See [[sca' })
  local comp = vim.lsp.buf_request_sync(buf, 'textDocument/completion', {
    textDocument = { uri = uri },
    position = { line = last, character = 9 },
    context = { triggerKind = 1 },
  }, 10000)
  result.completion = {}
  for _, r in pairs(comp or {}) do
    local items = r.result and (r.result.items or r.result) or {}
    for _, item in ipairs(items) do
      table.insert(result.completion, item.label)
    end
  end
end)
if not ok then
  table.insert(result.errors, tostring(err))
end
finish()
