"""A binary glTF 2.0 (GLB) model: one unit cube mesh, built with pygltflib."""

from __future__ import annotations

import struct
from functools import lru_cache

import pygltflib as gl  # type: ignore[import-untyped]


@lru_cache(maxsize=1)
def glb() -> bytes:
    """Binary glTF 2.0 (GLB) with one unit cube mesh (8 vertices, 12 triangles), via pygltflib."""

    points = [(x, y, z) for x in (-0.5, 0.5) for y in (-0.5, 0.5) for z in (-0.5, 0.5)]
    faces = [
        (0, 1, 3), (0, 3, 2), (4, 6, 7), (4, 7, 5), (0, 4, 5), (0, 5, 1),
        (2, 3, 7), (2, 7, 6), (0, 2, 6), (0, 6, 4), (1, 5, 7), (1, 7, 3),
    ]  # fmt: skip
    index_bytes = b"".join(struct.pack("<3H", *f) for f in faces)
    index_bytes += b"\x00" * (-len(index_bytes) % 4)
    vertex_bytes = b"".join(struct.pack("<3f", *p) for p in points)
    blob = index_bytes + vertex_bytes
    gltf = gl.GLTF2(
        asset=gl.Asset(version="2.0", generator="cannon-studio sandbox"),
        scene=0,
        scenes=[gl.Scene(nodes=[0])],
        nodes=[gl.Node(mesh=0, name="location")],
        meshes=[
            gl.Mesh(primitives=[gl.Primitive(attributes=gl.Attributes(POSITION=1), indices=0)])
        ],
        accessors=[
            gl.Accessor(
                bufferView=0,
                componentType=gl.UNSIGNED_SHORT,
                count=len(faces) * 3,
                type=gl.SCALAR,
                max=[7],
                min=[0],
            ),
            gl.Accessor(
                bufferView=1,
                componentType=gl.FLOAT,
                count=len(points),
                type=gl.VEC3,
                max=[0.5, 0.5, 0.5],
                min=[-0.5, -0.5, -0.5],
            ),
        ],
        bufferViews=[
            gl.BufferView(
                buffer=0, byteOffset=0, byteLength=len(faces) * 6, target=gl.ELEMENT_ARRAY_BUFFER
            ),
            gl.BufferView(
                buffer=0,
                byteOffset=len(index_bytes),
                byteLength=len(vertex_bytes),
                target=gl.ARRAY_BUFFER,
            ),
        ],
        buffers=[gl.Buffer(byteLength=len(blob))],
    )
    gltf.set_binary_blob(blob)
    data: bytes = b"".join(gltf.save_to_bytes())
    return data
