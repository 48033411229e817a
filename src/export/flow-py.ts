// The Python of make_inputs' optical flow (model.py, only for models that take flow): dense
// pyramidal Lucas–Kanade with warping, the method of flow/optical-flow.ts written plainly in
// PyTorch. An approximation of the app's flow (simpler derivative filters), not bit-identical.

export const FLOW_PY = `
def _gauss(sigma):
    r = max(1, math.ceil(2 * sigma))
    x = torch.arange(-r, r + 1, dtype=torch.float32)
    g = torch.exp(-(x**2) / (2 * sigma**2))
    return g / g.sum()


def _blur(img, k):
    """Separable blur of [B, C, H, W] with edge replication."""
    c, r = img.shape[1], k.numel() // 2
    k = k.to(img)
    img = F.conv2d(F.pad(img, (r, r, 0, 0), mode="replicate"), k.view(1, 1, 1, -1).repeat(c, 1, 1, 1), groups=c)
    return F.conv2d(F.pad(img, (0, 0, r, r), mode="replicate"), k.view(1, 1, -1, 1).repeat(c, 1, 1, 1), groups=c)


def _grad(img):
    """Central differences (d/dx, d/dy) of [B, 1, H, W]."""
    px = F.pad(img, (1, 1, 0, 0), mode="replicate")
    py = F.pad(img, (0, 0, 1, 1), mode="replicate")
    return (px[..., 2:] - px[..., :-2]) / 2, (py[..., 2:, :] - py[..., :-2, :]) / 2


def _warp(img, u):
    """img sampled at x + u(x): [B, 1, H, W], u [B, 2, H, W] in pixels."""
    _, _, h, w = img.shape
    ys, xs = torch.meshgrid(torch.arange(h, device=img.device), torch.arange(w, device=img.device), indexing="ij")
    gx = (xs + u[:, 0]) / max(w - 1, 1) * 2 - 1
    gy = (ys + u[:, 1]) / max(h - 1, 1) * 2 - 1
    return F.grid_sample(img, torch.stack([gx, gy], -1), align_corners=True, padding_mode="border")


def optical_flow(i0, i1, levels=4, min_size=12, iterations=5, sigma=2.0, reg=1e-5, max_step=1.0):
    """Dense pyramidal Lucas-Kanade with warping, the method of Clipscope's flow view (an
    approximation of it, not bit-identical): i0, i1 [B, 1, H, W] grey in [0, 1] -> flow
    [B, 2, H, W] (dx, dy) in pixels with I1(x + u(x)) ~ I0(x)."""
    binomial = torch.tensor([1.0, 4.0, 6.0, 4.0, 1.0]) / 16
    window = _gauss(sigma)
    pyr = [(i0, i1)]
    while len(pyr) < levels and min(pyr[-1][0].shape[-2:]) // 2 >= min_size:
        a, b = pyr[-1]
        pyr.append((F.avg_pool2d(_blur(a, binomial), 2), F.avg_pool2d(_blur(b, binomial), 2)))
    u = None
    for a, b in reversed(pyr):
        if u is None:
            u = a.new_zeros(a.shape[0], 2, *a.shape[-2:])
        else:
            u = F.interpolate(u, size=a.shape[-2:], mode="bilinear", align_corners=False) * 2
        ax, ay = _grad(a)
        for _ in range(iterations):
            bw = _warp(b, u)
            bx, by = _grad(bw)
            ix, iy, e = (ax + bx) / 2, (ay + by) / 2, bw - a
            gxx, gxy, gyy, ex, ey = _blur(torch.cat([ix * ix, ix * iy, iy * iy, ix * e, iy * e], 1), window).unbind(1)
            gxx, gyy = gxx + reg, gyy + reg
            det = gxx * gyy - gxy * gxy
            du = -(gyy * ex - gxy * ey) / det
            dv = -(gxx * ey - gxy * ex) / det
            u = u + torch.stack([du, dv], 1).clamp(-max_step, max_step)
    return u


def grey(frames):
    """ITU-R BT.601 luma of [N, 3, T, H, W] -> [N, 1, T, H, W]."""
    w = torch.tensor([0.299, 0.587, 0.114], device=frames.device).view(1, 3, 1, 1, 1)
    return (frames * w).sum(1, keepdim=True)
`;
