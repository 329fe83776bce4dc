-- wikistamp for Neovim 0.7 to 0.10 (no vim.lsp.config; 0.7 has no vim.lsp.start either).
-- Source this file from init.lua (`dofile('/path/to/wikistamp-legacy.lua')`) or paste it there.
-- It starts one `wikistamp lsp` per vault root and attaches every Markdown buffer of that vault.
local M = {}

local root_markers = { 'wikistamp.toml', '.obsidian', '.git' }
local clients = {} -- root directory -> client id

-- The nearest ancestor of `path` holding one of the markers, in marker order (as the server
-- and the CLI find the vault root); else the current directory.
function M.find_root(path)
  for _, marker in ipairs(root_markers) do
    local dir = vim.fn.fnamemodify(path, ':p:h')
    while true do
      if vim.fn.filereadable(dir .. '/' .. marker) == 1 or vim.fn.isdirectory(dir .. '/' .. marker) == 1 then
        return dir
      end
      local parent = vim.fn.fnamemodify(dir, ':h')
      if parent == dir then
        break
      end
      dir = parent
    end
  end
  return vim.fn.getcwd()
end

function M.attach(bufnr, cmd)
  local name = vim.api.nvim_buf_get_name(bufnr)
  if name == '' then
    return
  end
  local root = M.find_root(name)
  local id = clients[root]
  if id == nil or vim.lsp.get_client_by_id(id) == nil then
    id = vim.lsp.start_client({
      name = 'wikistamp',
      cmd = cmd or { 'wikistamp', 'lsp' },
      root_dir = root,
      workspace_folders = { { uri = vim.uri_from_fname(root), name = root } },
      init_options = { rules = {} },
    })
    clients[root] = id
  end
  if id then
    vim.lsp.buf_attach_client(bufnr, id)
  end
end

function M.setup(opts)
  opts = opts or {}
  vim.api.nvim_create_autocmd('FileType', {
    pattern = 'markdown',
    callback = function(args)
      M.attach(args.buf, opts.cmd)
    end,
  })
end

return M
