"""Two label-preserving image augmentations on a tiny tensor: horizontal flip and a one-pixel shift."""
import torch
import torch.nn.functional as F


def horizontal_flip(image):
    """Mirror left-right; image has shape (channels, height, width)."""
    return torch.flip(image, dims=[-1])


def shift_right(image, pixels):
    """Move the content right by `pixels`, filling the gap with zeros; the shape does not change."""
    if not 0 <= pixels < image.shape[-1]:
        raise ValueError(f"pixels must be in [0, width), got {pixels} for width {image.shape[-1]}")
    padded = F.pad(image, (pixels, 0))  # pad on the left of the last dimension
    return padded[..., : image.shape[-1]]


image = torch.arange(1.0, 13.0).reshape(1, 3, 4)  # one channel, 3 x 4 pixels

flipped = horizontal_flip(image)
shifted = shift_right(image, 1)
print("original:\n", image[0])
print("flipped:\n", flipped[0])
print("shifted right by 1:\n", shifted[0])

assert flipped.shape == shifted.shape == image.shape
assert torch.equal(flipped[..., 0], image[..., -1]) and torch.equal(horizontal_flip(flipped), image)
assert torch.equal(shifted[..., 0], torch.zeros(1, 3)) and torch.equal(shifted[..., 1:], image[..., :-1])
