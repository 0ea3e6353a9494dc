"""lamella-preprocessing's plugin: registers its preprocessing utilities by name."""

from lamella.plugins import hookimpl


def registered_objects():
    """Every utility this distribution registers (classes and functions)."""
    from lamella.preprocessing import image, sequence, text

    return [
        sequence.pad_sequences, sequence.TimeseriesGenerator, sequence.skipgrams,
        sequence.make_sampling_table, text.Tokenizer, text.text_to_word_sequence,
        text.one_hot, text.hashing_trick, image.ImageDataGenerator, image.apply_affine_transform,
        image.random_rotation, image.random_shift, image.random_shear, image.random_zoom,
        image.random_channel_shift, image.random_brightness,
    ]


@hookimpl
def lamella_register_preprocessors(registry):
    for obj in registered_objects():
        registry.register(obj)
